export { productEvolver } from './product-evolver.js';
