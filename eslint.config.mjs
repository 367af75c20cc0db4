// `pnpm lint` runs this (typescript-eslint, type-aware) and then `pnpm lint:cycles` (dpdm).
// Scope: the TypeScript sources and tests of every package and app. tsconfig.eslint.json gives
// the whole repo ONE TypeScript program (one type-aware pass, no build needed first).
//
// The rule set: typescript-eslint's recommendedTypeChecked (promises nobody awaits or handles,
// awaiting non-promises, `any` flowing out of untyped calls, unused names, base-to-string),
// plus eqeqeq and consistent-type-imports. The few rules turned off below are off for a reason
// written next to each; a line-level disable must say why on the same line.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "**/coverage/**"],
  },
  {
    files: ["packages/*/{src,test}/**/*.ts", "apps/*/{src,test}/**/*.ts"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: "./tsconfig.eslint.json",
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      eqeqeq: ["error", "always", { null: "ignore" }],
      // `typeof import("redis")` types a module the code loads lazily, on first use.
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      // The house convention for a parameter an override or an interface needs but does not use.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // `interface X extends Y {}` is how a class declares the fields an options object gives it.
      "@typescript-eslint/no-empty-object-type": ["error", { allowInterfaces: "with-single-extends" }],
      // The code base writes `list[i]!` as if noUncheckedIndexedAccess were on (it is not yet);
      // this rule would strip those 500+ `!`, which turning the option on would need again.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      // An `async` method that implements a Promise-returning hook (get(), prepare(), a broker's
      // subscribe()) is the contract, with or without an `await` inside.
      "@typescript-eslint/require-await": "off",
      // Rejecting with what a caught error or an AbortSignal gave (`unknown`) passes it on as is,
      // as Tornado re-raises; a literal non-Error is still an error.
      "@typescript-eslint/prefer-promise-reject-errors": ["error", { allowThrowingAny: true, allowThrowingUnknown: true }],
      // A style rule (arrow functions over `self = this`); here `currentLoop = this` is the design.
      "@typescript-eslint/no-this-alias": "off",
      // Protocol code matches control characters on purpose (header values, cookies, file names).
      "no-control-regex": "off",
      // Every hit passes a function's identity (Error.prepareStackTrace, a stack-trace anchor, an
      // async-ness check), never calls it unbound; the real case (a callback losing `this`) is
      // caught by TypeScript's `this:` parameters.
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Tests read JSON bodies and fixtures whose shape the assertion itself checks; `any` flowing
    // from JSON.parse() there is not a defect. They also run README examples through Function.
    files: ["packages/*/test/**/*.ts", "apps/*/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-implied-eval": "off",
      "@typescript-eslint/no-require-imports": "off",
      // Test helpers hand async listeners to sockets and servers; a rejection there ends the
      // test run (Node's unhandled-rejection exit), which is the failure wanted.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false, inheritedMethods: false } }],
    },
  },
);
