#include <string>
int main() {
    auto s = "é😀"; std::string t = s; t.no_such_member();
}
