const { greet } = require("./util");

const s = "world";
console.log(greet(s));
s.
