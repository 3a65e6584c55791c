int x = "a";

struct s { int a; };
struct s v;
int y = v;
