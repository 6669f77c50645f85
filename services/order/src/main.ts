import { runMain } from '@surge/service-runtime';
import { orderService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(orderService, process.env);
