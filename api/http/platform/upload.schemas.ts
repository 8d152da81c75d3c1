/** What upload and download routes share in their documentation. */
export const binary = { type: 'string', format: 'binary' } as const;
export const fileField = (types: string) => ({
  ...binary,
  description: `The file (${types}), judged by its bytes: neither its name nor its Content-Type counts`,
});

/** A file answer, in one of these types. */
export const download = (types: string[]) => ({
  description: 'The file, as an attachment (Content-Disposition: attachment, X-Content-Type-Options: nosniff)',
  content: Object.fromEntries(types.map((t) => [t, { schema: binary }])),
});
