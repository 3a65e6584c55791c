import { helper } from './util';
const n: number = helper('a');
process.stdout.write(String(n));
