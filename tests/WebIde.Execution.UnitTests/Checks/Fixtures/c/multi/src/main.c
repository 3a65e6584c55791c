#include <stdio.h>

int main(void) {
    int unused;
    printf("%d\n", "text");
    return missing + 1;
}
int broken( {
