/** Wording for the file rule's problems (src/data/paths.ts): which files a notebook may read.
 *  Each message names the file as the cell wrote it and says how to make it readable; none
 *  quotes anything from inside the file. */
type Params = Readonly<Record<string, string | number | boolean>>;

export const pathMessages: Readonly<Record<string, (p: Params) => string>> = {
  file_outside_allowed: (p) =>
    `${p.file}: not read: it ${p.link ? 'links to' : 'is'} ${p.path}, outside the folders this notebook may read (${p.roots || 'none'}). Hedgebook reads files under the notebook's folder (and the workspace folders in VS Code); move the file there, or allow its folder: hedgebook run --allow-path DIR, or the hedgebook.allowedPaths setting in VS Code.`,
  file_not_data: (p) =>
    `${p.file}: not read: a price file's name ends in ${p.extensions}${p.target ? ` (this one links to ${p.target})` : ''}.`,
  file_not_regular: (p) =>
    `${p.file}: not read: it is ${p.kind ? `${p.kind}, ` : ''}not a regular file${p.kind ? '' : ' (a folder, a device or a pipe)'}; name a price file.`,
};
