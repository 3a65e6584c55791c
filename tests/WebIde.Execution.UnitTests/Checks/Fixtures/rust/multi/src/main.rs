fn main() {
    let x: i32 = "text";
    println!("{}", undefined_thing);
    println!("{}");
}
