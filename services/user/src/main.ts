import { runMain } from '@surge/service-runtime';
import { userService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(userService, process.env);
