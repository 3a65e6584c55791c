const s: string = "é😀"; const n: number = s;
export { n };
