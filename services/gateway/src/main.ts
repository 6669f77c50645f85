import { runMain } from '@surge/service-runtime';
import { gatewayService } from './service';

/** The process entry point and the only code that reads process.env. */
runMain(gatewayService, process.env);
