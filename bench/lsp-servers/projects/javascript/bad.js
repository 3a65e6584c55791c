// @ts-check
/** @type {number} */
let x = "a";
