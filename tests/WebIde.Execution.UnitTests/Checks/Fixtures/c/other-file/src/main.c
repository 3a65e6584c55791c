#include "util.h"

int main(void) {
    return twice(1);
}
