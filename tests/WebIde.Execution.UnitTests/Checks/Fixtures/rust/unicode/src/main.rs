fn main() {
    let s = "é😀"; let x: i32 = s;
}
