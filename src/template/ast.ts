/**
 * The expression AST. Every node carries `start`/`end`, half-open offsets into the
 * source it was parsed from. Spellings are normalized (`&&` → `and`, `!` → `not`,
 * `True` → true) so that equal meaning gives equal trees.
 */
export type BinaryOp = "+" | "-" | "*" | "/" | "//" | "%" | "**" | "~";
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not in";

interface Span {
  start: number;
  end: number;
}

export interface Arguments {
  args: Expr[];
  kwargs: { name: string; value: Expr }[];
}

export type Expr =
  | (Span & { type: "literal"; value: string | number | boolean | null })
  | (Span & { type: "name"; name: string })
  | (Span & { type: "list"; items: Expr[] })
  | (Span & { type: "dict"; entries: { key: Expr; value: Expr }[] })
  | (Span & { type: "member"; object: Expr; name: string; nameStart: number })
  | (Span & { type: "index"; object: Expr; index: Expr })
  | (Span & {
      type: "slice";
      object: Expr;
      lower: Expr | null;
      upper: Expr | null;
      step: Expr | null;
    })
  | (Span & { type: "call"; callee: Expr } & Arguments)
  | (Span & { type: "filter"; subject: Expr; name: string; nameStart: number } & Arguments)
  | (Span & {
      type: "test";
      subject: Expr;
      name: string;
      nameStart: number;
      negated: boolean;
      args: Expr[];
    })
  | (Span & { type: "unary"; op: "not" | "-" | "+"; operand: Expr })
  | (Span & { type: "binary"; op: BinaryOp; left: Expr; right: Expr })
  | (Span & { type: "logical"; op: "and" | "or"; left: Expr; right: Expr })
  | (Span & { type: "compare"; first: Expr; rest: { op: CompareOp; right: Expr }[] })
  | (Span & { type: "cond"; test: Expr; consequent: Expr; alternate: Expr | null });

export type ExprType = Expr["type"];
export type ExprOf<T extends ExprType> = Extract<Expr, { type: T }>;
