import { runMain } from '@surge/service-runtime';
import { providerService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(providerService, process.env);
