pub fn twice(x: i32) -> i32 {
    let unused = 1;
    2 * x
}
