const x = ;
let y: number = 'a';
