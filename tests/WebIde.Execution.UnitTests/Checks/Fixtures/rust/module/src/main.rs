mod util;

fn main() {
    let unused_in_main = util::twice(2);
}
