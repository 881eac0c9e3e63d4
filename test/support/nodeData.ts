/**
 * The dataset reader bound to Node's host services, as the CLI and the workers use it, for the unit tests. Set
 * MINIBATCH_LAB_TEST_GUNZIP=stream to run the same tests through the browser's gunzip (DecompressionStream) instead.
 */
import * as dataset from '../../src/core/dataset';
import * as idx from '../../src/core/idx';
import type { DataIo } from '../../src/core/io';
import { nodeFiles, nodeIo } from '../../src/platform/node';
import { streamGunzip } from '../../src/platform/streamGunzip';

export const io: DataIo = process.env.MINIBATCH_LAB_TEST_GUNZIP === 'stream' ? { files: nodeFiles, gunzip: streamGunzip } : nodeIo;

export const parseIdx = (file: string, buf: Uint8Array, expectMagic?: number) => idx.parseIdx(file, buf, io.gunzip, expectMagic);
export const readIdxFile = (path: string, expectMagic?: number) => idx.readIdxFile(io, path, expectMagic);
export const peekIdxDims = (path: string, expectMagic?: number) => idx.peekIdxDims(io, path, expectMagic);
export const loadMnistFolder = (dir: string) => dataset.loadMnistFolder(io, dir);
export const peekMnistFolder = (dir: string) => dataset.peekMnistFolder(io, dir);
export const missingMnistFiles = (dir: string) => dataset.missingMnistFiles(io.files, dir);
