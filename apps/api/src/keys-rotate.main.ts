import { buildDataSourceOptions, DataExportStore, PersonalDataRotation, SealedSecretRotation, SecretBox } from '@sah/infrastructure';
import { DataSource } from 'typeorm';
import { buildAppConfig } from './config/environment';
import { personalDataCodec, personalDataKeyring } from './contexts/identity/personal-data/personal-data-codec';
import { provideServices } from './dev-services/local-services';
import { createLogger } from './platform/logging/create-logger';
import { parseEnvironmentOrExit, runEntryPoint } from './process-startup';

/**
 * `npm run keys:rotate`: re-seals what a key in ENCRYPTION_KEYS_PREVIOUS sealed with ENCRYPTION_KEY, in
 * batches, while the API serves (start every instance with the new keys first): users' e-mail
 * addresses and names, then provider keys, TOTP secrets, webhook signing secrets and GDPR export
 * files. Prints what it did as JSON; exits 1 when users under an older key are left.
 */
runEntryPoint(async () => {
  const parsed = parseEnvironmentOrExit();
  const logger = createLogger(parsed.logLevel, 'keys-rotate');
  const services = await provideServices(parsed, logger);
  const config = buildAppConfig(parsed, services.urls);
  const dataSource = new DataSource(
    buildDataSourceOptions({ url: config.database.url, poolMax: 2, applicationName: 'smart-ai-hub-keys-rotate' }),
  );
  try {
    await dataSource.initialize();
    const codec = personalDataCodec(config);
    const rotation = new PersonalDataRotation(dataSource, codec);
    const { rotated } = await rotation.run((progress) => logger.info({ rotated: progress.rotated }, 'keys:rotate: batch re-sealed'));
    const remaining = await rotation.remaining();
    const secrets = await new SealedSecretRotation(dataSource, new SecretBox(config.encryptionKey, config.previousEncryptionKeys)).run();
    const dataExports = await new DataExportStore(dataSource, personalDataKeyring(config)).resealStale();
    process.stdout.write(`${JSON.stringify({ keyId: codec.currentKeyId, users: { rotated, remaining }, secrets, dataExports }, null, 2)}\n`);
    if (remaining > 0) process.exitCode = 1;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await services.stop();
  }
});
