package app;

public class Util {
    public static int twice(int x) { return 2 * x; }
}
