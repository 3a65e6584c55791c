package app;

public class Main {
    public static void main(String[] args) {
        String s = "é😀"; int x = s;
    }
}
