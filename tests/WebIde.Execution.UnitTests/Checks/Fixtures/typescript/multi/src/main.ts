interface Point { x: number; y: number }
const p: Point = { x: 1, y: 'two' };
function f(a) { return a; }
console.log(p, f, undefinedName);
const g: (a: number) => string = (a: string) => a;
