import { fileURLToPath } from 'node:url';
import { describePublishedPackage } from '@starshard/vitest-config/packageChecks';

describePublishedPackage(fileURLToPath(new URL('..', import.meta.url)));
