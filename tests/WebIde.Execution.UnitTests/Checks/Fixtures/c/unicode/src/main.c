int main(void) {
	const char *s = "é😀"; int x = undefined_var + 1;
	return x;
}
