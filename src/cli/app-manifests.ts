/**
 * The synthesized manifests of an app (`cdk8s synth` writes dist/*.k8s.yaml): every YAML document of every *.yaml file
 * of one folder. Parsed with the `yaml` package that cdk8s itself writes them with (cdk8s bundles it, so it is present
 * wherever the library's peer dependency cdk8s is, and the packed CLI needs nothing else), at YAML 1.1 as cdk8s writes.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import * as path from 'path';
import { appEmpty, appNotFolder, appObjectInvalid, appTooLarge, appYamlInvalid, MAX_APP_BYTES } from './messages';

/** One Kubernetes object of the app, with where it was read. */
export interface ManifestObject {
  /** The file, relative to the app folder. */
  readonly file: string;
  /** The document's position in the file, from 1. */
  readonly document: number;
  /** The object as JSON. */
  readonly json: any;
}

/** The app: its folder as given and its objects in file order. */
export interface AppManifests {
  readonly dir: string;
  readonly option: string;
  readonly files: string[];
  readonly objects: ManifestObject[];
}

/** cdk8s's own YAML parser: resolved from cdk8s's folder, where npm puts its bundled dependencies. */
function yamlParser(): { parseAllDocuments(text: string, options: object): any } {
  const fromCdk8s = createRequire(require.resolve('cdk8s'));
  return fromCdk8s('yaml');
}

/** Reads every `*.yaml` / `*.yml` file of `dir` (not its subfolders), in name order. `option` is how errors name it. */
export function readAppManifests(dir: string, shownAs: string, option: string): AppManifests {
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) throw appNotFolder(option, shownAs, 'it is a file');
    names = fs.readdirSync(dir).filter(n => /\.ya?ml$/i.test(n)).sort();
  } catch (e) {
    if ((e as Error).name === 'CliError') throw e;
    throw appNotFolder(option, shownAs, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : (e as Error).message);
  }
  let bytes = 0;
  const objects: ManifestObject[] = [];
  const yaml = yamlParser();
  for (const name of names) {
    const file = path.join(dir, name);
    bytes += fs.statSync(file).size;
    if (bytes > MAX_APP_BYTES) throw appTooLarge(option, shownAs, bytes);
    const docs = yaml.parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc: any, i: number) => {
      if (doc.errors?.length) throw appYamlInvalid(option, name, i + 1, doc.errors[0].message);
      const json = doc.toJSON();
      if (json === null || json === undefined) return;
      if (typeof json !== 'object' || Array.isArray(json) || typeof json.kind !== 'string' || typeof json.apiVersion !== 'string') {
        throw appObjectInvalid(option, name, i + 1, json);
      }
      objects.push({ file: name, document: i + 1, json });
    });
  }
  if (objects.length === 0) throw appEmpty(option, shownAs, names.length);
  return { dir, option, files: names, objects };
}
