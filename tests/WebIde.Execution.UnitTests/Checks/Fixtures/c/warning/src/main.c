int main(void) {
    int unused = 0;
    int y;
    return y;
}
