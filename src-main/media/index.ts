export { decodePng, encodePng, type RgbImage } from './png';
export { MediaError } from './errors';
export { FFMPEG_PATH_SETTING, locateFfmpeg, type FfmpegInfo, type LocateOptions } from './ffmpeg-locate';
export type { ExportProgress } from './progress-meter';
export { formatFromPath, type VideoFormat } from './video-format';
export { exportVideo, type ExportOptions, type ExportResult } from './video-export';
