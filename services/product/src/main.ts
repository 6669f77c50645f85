import { runMain } from '@surge/service-runtime';
import { productService } from './service';

/** The process entry point and (with seed-catalog.ts) the only code that reads process.env. */
runMain(productService, process.env);
