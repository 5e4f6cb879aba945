/** What the export commands take, bundled apart as dist/export.js and loaded when one runs
 *  (../lazy.ts says why): the HTML report and `.ipynb` writers the CLI uses too. */
export { exportIpynb, exportReportHtml, savedDataFiles } from '../../cli/export';
export { OutputMetadata } from '../../notebook/file-format';
