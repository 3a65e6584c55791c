fn main() {
    let unused = 5;
    let mut never_changed = 1;
    println!("{}", never_changed);
}
