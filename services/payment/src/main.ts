import { runMain } from '@surge/service-runtime';
import { paymentService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(paymentService, process.env);
