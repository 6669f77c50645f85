import { runMain } from '@surge/service-runtime';
import { storefrontService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(storefrontService, process.env);
