/**
 * Every string field of every event is declared personal or plain (domain/personal-data.ts): the
 * event types themselves are read with the TypeScript compiler, so a new event type, or a new string
 * field of an old one, fails here until someone says whether it is personal data.
 */
import path from 'node:path';
import ts from 'typescript';
import { eventSchema } from '../../../domain/events.js';
import { personalData } from '../../../domain/personal-data.js';
import { PROJECT_ROOT } from '../../support/run-node-script.js';

/** The string-valued paths of each event type's `data`, as the declarations write them (`items[].name`). */
function stringFieldsOfEvents(): Map<string, string[]> {
  const file = path.join(PROJECT_ROOT, 'domain/events.ts');
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    types: [], // the domain needs no ambient types: a smaller program
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file)!;
  const alias = source.statements.find(
    (s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === 'RentlogEvent',
  )!;
  const union = checker.getTypeAtLocation(alias.name);
  const found = new Map<string, string[]>();
  const walk = (type: ts.Type, at: string, out: Set<string>, depth: number): void => {
    if (depth > 8) return;
    const parts = type.isUnion() ? type.types : [type];
    for (const t of parts) {
      if (t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Unknown | ts.TypeFlags.Any)) continue;
      if (t.flags & ts.TypeFlags.StringLike) out.add(at);
      else if (checker.isArrayType(t))
        walk(checker.getTypeArguments(t as ts.TypeReference)[0], `${at}[]`, out, depth + 1);
      else if (t.flags & ts.TypeFlags.Object)
        for (const prop of checker.getPropertiesOfType(t))
          walk(checker.getTypeOfSymbol(prop), at === '' ? prop.name : `${at}.${prop.name}`, out, depth + 1);
    }
  };
  for (const member of union.isUnion() ? union.types : [union]) {
    const typeName = checker.getTypeOfSymbol(member.getProperty('type')!) as ts.StringLiteralType;
    const fields = new Set<string>();
    walk(checker.getTypeOfSymbol(member.getProperty('data')!), '', fields, 0);
    found.set(typeName.value, [...fields].sort());
  }
  return found;
}

describe('personal data declarations', () => {
  const events = stringFieldsOfEvents();

  it('reads every event type of the log from its type', () => {
    expect([...events.keys()].sort()).toEqual(Object.keys(eventSchema.versions).sort());
  });

  it.each([...events.keys()])('%s: every string field is declared personal or plain, and only those', (type) => {
    const declared = personalData[type as keyof typeof personalData];
    expect(declared).toBeDefined();
    const strings = events.get(type)!;
    const named = [...declared.personal, ...declared.plain];
    expect({ undeclared: strings.filter((f) => !named.includes(f)) }).toEqual({ undeclared: [] });
    expect({ notStringFields: named.filter((f) => !strings.includes(f)) }).toEqual({ notStringFields: [] });
    expect(declared.personal.filter((f) => declared.plain.includes(f))).toEqual([]);
  });

  it('fails for a string field declared neither way (the check above is not vacuous)', () => {
    const strings = events.get('CustomerRegistered')!;
    expect(strings).toEqual(expect.arrayContaining(['name', 'email', 'phone', 'address']));
    const { personal, plain } = personalData.CustomerRegistered;
    const withoutPhone = [...personal.filter((f) => f !== 'phone'), ...plain];
    expect(strings.filter((f) => !withoutPhone.includes(f))).toEqual(['phone']);
  });

  it('names a data subject for every event with personal fields', () => {
    const sample = {
      customerId: 'c1',
      userId: 'u1',
      orderId: 'o1',
    };
    for (const [type, declared] of Object.entries(personalData))
      if (declared.personal.length > 0)
        expect([type, (declared.subject as (d: unknown, s: string) => string | null)(sample, 'x-1')]).toEqual([
          type,
          expect.stringMatching(/^(customer|user|signin|auditexport|apikey):[^.]+$/),
        ]);
  });
});
