import { runMain } from '@surge/service-runtime';
import { notificationService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(notificationService, process.env);
