/** Shape of a transcribed XSD: each complex type's element sequence, in schema order. */
export interface FieldSpec {
  name: string;
  /** `xs:string`, `xs:integer`, …, or a complex/simple type `prefix:Name`. */
  type: string;
  /** Prefix of the namespace the element is in: `mf` (the message), `geo`, `kode`. */
  ns: string;
  /** maxOccurs="unbounded". */
  list?: boolean;
  /** minOccurs="0". */
  optional?: boolean;
  nillable?: boolean;
}

export interface TypeSpec {
  /** Base type of an extension (its fields come first). */
  base?: string;
  fields: FieldSpec[];
}

export interface SchemaDescriptor {
  /** Target namespace of the message (`mf`). */
  namespace: string;
  root: string;
  rootType: string;
  types: Record<string, TypeSpec>;
  /** Enumerated simple types. */
  enums: Record<string, string[]>;
}
