import type { ChosenFile } from './types.ts';

/** A file from the picker as the server takes it (base64: the tRPC body is JSON). */
export function readChosenFile(file: File): Promise<ChosenFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve({ name: file.name, contentBase64: url.slice(url.indexOf(',') + 1) });
    };
    reader.readAsDataURL(file);
  });
}
