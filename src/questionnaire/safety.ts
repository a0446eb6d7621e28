/**
 * The safety limits and checks moved to the spreadsheet layer (src/spreadsheet/safety.ts).
 * This re-export only keeps src/review/workbook.ts compiling while that file is being
 * changed on another branch; point its import at ../spreadsheet/safety.js and delete this.
 */
export { checkSize, checkZip, escapeFormula, type SafetyLimits } from '../spreadsheet/safety.js';
