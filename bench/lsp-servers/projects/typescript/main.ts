import { greet } from "./util";

interface P { name: string }
let p: P = { name: "x" };
console.log(greet(p.name));
p.
