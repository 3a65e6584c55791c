package app;

import java.util.*;

public class Main {
    public static void main(String[] args) {
        List raw = new ArrayList(); raw.add("x");
    }
}
