#include <stdio.h>
#include "util.h"

int main(void) {
    struct point p = {1, 2};
    printf("%d\n", twice(p.x));
    p.
}
