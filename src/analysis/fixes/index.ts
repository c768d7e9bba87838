// Quick fixes are computed from findings as minimal text edits (never by mutating the AST):
// limit, column selection and bulk rewrites come from the ORM adapters via the rules; every
// finding also gets a suppression fix.
export { suppressionFix } from './suppress';
export { applyEdits } from './apply';
