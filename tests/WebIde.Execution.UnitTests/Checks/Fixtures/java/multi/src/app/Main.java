package app;

public class Main {
    public static void main(String[] args) {
	int x = "s";
        System.out.println(undefinedVar);
        Math.max("a");
    }
}
