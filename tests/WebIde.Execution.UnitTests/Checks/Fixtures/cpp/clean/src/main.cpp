#include <iostream>
#include <vector>

int main() {
    std::vector<int> v{1, 2};
    std::cout << v.size() << "\n";
}
