/** For in-process use by other workspaces' tests (the payment service starts a simulator on port 0). */
export { loadConfig, type ProviderConfig } from './config';
export { SERVICE_NAME, providerService, startProviderService } from './service';
