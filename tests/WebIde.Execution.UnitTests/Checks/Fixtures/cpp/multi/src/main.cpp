#include <vector>
#include "a.hpp"

int main() {
    std::vector<int> v;
    v.push_bak(1);
    int y = h("s");
    int unused;
    return y
}
