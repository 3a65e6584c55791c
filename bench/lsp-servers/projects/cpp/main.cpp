#include <vector>
#include "util.hpp"

int main() {
    std::vector<int> v{1, 2};
    int r = twice(v[0]);
    std::
}
