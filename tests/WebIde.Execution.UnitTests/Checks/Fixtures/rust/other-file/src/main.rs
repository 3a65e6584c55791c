mod util;

fn main() {
    println!("{}", util::twice(2));
}
