#include "a.hpp"
int main() { return h(1); }
