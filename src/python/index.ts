/** Pure hover analysis for Python (no `vscode` import): analyse once per document version, then ask per position. */
export { analysePython, PythonModel } from './model';
export { hoverAt } from './hover';
export { analyseCells, hoverInCell, type CellsModel } from './cells';
export type {
	BatchProcessing,
	BatchProcessingHover,
	ChoiceHover,
	HoverInfo,
	ReductionCall,
	ReductionHover,
	ReplaceArg,
	SamplingFixRef,
	ShapeSource,
	TermHover,
	TermKind,
	WithoutReplacementHover,
} from './hover';
export { applyTextEdits, samplingActions, samplingActionsAt } from './rewrite';
export type { OffsetRange, SamplingAction, SamplingDirection, TextEdit } from './rewrite';
export type { AssumptionBasis, EpochLoop, EpochOrder, Evaluations, LoopStop, ParameterDefault, Quantity, QuantityRole, SliceCoverage, TrainingNumbers, TrainingSetup } from './trainingLoop';
export { trainingSetup } from './trainingLoop';
export type { AxisProblem, AxisSpec, BroadcastBack, Shape } from './shapes';
export { formatShape, reducesLeadingAxes } from './shapes';
export { duplicateChance, seenFraction } from './sampling';
