import { safeStorage } from 'electron';
import { SAFE_STORAGE_FORMAT, type SecretCipher } from '../secrets/cipher';

/**
 * The desktop app's cipher: new secrets are encrypted with Electron's safeStorage
 * (the OS keychain: Keychain, DPAPI, libsecret), marked by their first byte; secrets the CLI
 * saved with the key file still open through `fallback`, so one database serves both.
 */
export function safeStorageCipher(fallback: SecretCipher): SecretCipher {
  if (!safeStorage.isEncryptionAvailable()) return fallback;
  return {
    kind: 'safe-storage',
    encrypt(plain: Buffer): Buffer {
      return Buffer.concat([Buffer.from([SAFE_STORAGE_FORMAT]), safeStorage.encryptString(plain.toString('base64'))]);
    },
    decrypt(blob: Buffer): Buffer {
      if (blob[0] !== SAFE_STORAGE_FORMAT) return fallback.decrypt(blob);
      return Buffer.from(safeStorage.decryptString(blob.subarray(1)), 'base64');
    },
  };
}
