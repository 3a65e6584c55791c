export function helper(x: string): number { return x.length; }
