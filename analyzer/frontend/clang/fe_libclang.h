/* fe_libclang.h — libclang, loaded at run time (dlopen) instead of linked, so
 * that runs which never parse with clang (tree-sitter, `rules`, `explain`)
 * do not pay for loading libclang and libLLVM.
 *
 * Include this instead of the clang-c headers: after it, each clang_NAME
 * used in analyzer/ is a macro for the pointer in the table fe_clang_api,
 * so call sites read as ordinary libclang calls. Call fe_libclang_load()
 * before the first of them. A new libclang function goes into
 * FE_LIBCLANG_FUNCS (a missing one shows as an undefined reference at link
 * time, since the program no longer links libclang). */
#ifndef TETHER_FE_LIBCLANG_H
#define TETHER_FE_LIBCLANG_H

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>
#include <stddef.h>

/* Every libclang function the analyzer calls, without the clang_ prefix. */
#define FE_LIBCLANG_FUNCS(X) \
    X(CompilationDatabase_dispose) X(CompilationDatabase_fromDirectory) \
    X(CompilationDatabase_getAllCompileCommands) X(CompilationDatabase_getCompileCommands) \
    X(CompileCommand_getArg) X(CompileCommand_getDirectory) X(CompileCommand_getFilename) \
    X(CompileCommand_getNumArgs) X(CompileCommands_dispose) X(CompileCommands_getCommand) \
    X(CompileCommands_getSize) \
    X(Cursor_Evaluate) X(Cursor_getArgument) X(Cursor_getNumArguments) \
    X(Cursor_getStorageClass) X(Cursor_isAnonymousRecordDecl) X(Cursor_isNull) \
    X(EvalResult_dispose) X(EvalResult_getAsLongLong) X(EvalResult_getKind) \
    X(File_isEqual) X(Location_isFromMainFile) X(Location_isInSystemHeader) X(Type_visitFields) \
    X(equalLocations) X(getArraySize) X(getCursorLinkage) X(getEnumConstantDeclValue) \
    X(createIndex) X(disposeDiagnostic) X(disposeIndex) X(disposeString) \
    X(disposeTranslationUnit) X(equalCursors) X(equalRanges) X(equalTypes) \
    X(getArrayElementType) X(getCString) X(getCanonicalCursor) X(getCanonicalType) \
    X(getClangVersion) X(getCursorDefinition) X(getCursorExtent) X(getCursorKind) \
    X(getCursorLocation) X(getCursorReferenced) X(getCursorSemanticParent) \
    X(getCursorSpelling) X(getCursorType) X(getDiagnostic) X(getDiagnosticLocation) \
    X(getDiagnosticSeverity) X(getDiagnosticSpelling) X(getExpansionLocation) X(getFile) \
    X(getFileContents) X(getFileLocation) X(getFileName) X(getInclusions) \
    X(getLocationForOffset) X(getNullCursor) X(getNumDiagnostics) X(getPointeeType) \
    X(getRangeEnd) X(getRangeStart) X(getResultType) X(getTranslationUnitCursor) \
    X(getTypeDeclaration) X(getTypeSpelling) X(hashCursor) X(isAttribute) \
    X(isCursorDefinition) X(isDeclaration) X(isExpression) X(isReference) X(isStatement) \
    X(parseTranslationUnit2) X(visitChildren) X(reparseTranslationUnit) X(defaultReparseOptions)

/* The pointers, typed from the clang-c prototypes themselves (__typeof__,
 * which gcc and clang accept in C11 mode), so a type cannot drift. */
#define FE_LIBCLANG_MEMBER(name) __typeof__(clang_##name) *name;
struct fe_clang_api {
    FE_LIBCLANG_FUNCS(FE_LIBCLANG_MEMBER)
};
#undef FE_LIBCLANG_MEMBER
extern struct fe_clang_api fe_clang_api;

/* Loads libclang once (thread-safe; later calls return the first result):
 * $TETHER_LIBCLANG if set (and only it), else the library found at
 * configure time, else libclang-14.so.13, libclang-14.so.1, libclang.so.1,
 * libclang.so. 0 on success; -1 with the reason in err (e.g. "libfoo.so:
 * cannot open shared object file") if none loads or a function is missing. */
int fe_libclang_load(char *err, size_t errsize);

/* The names the code calls (the compiler checks these against the table). */
#define clang_CompilationDatabase_dispose (fe_clang_api.CompilationDatabase_dispose)
#define clang_CompilationDatabase_fromDirectory (fe_clang_api.CompilationDatabase_fromDirectory)
#define clang_CompilationDatabase_getAllCompileCommands (fe_clang_api.CompilationDatabase_getAllCompileCommands)
#define clang_CompilationDatabase_getCompileCommands (fe_clang_api.CompilationDatabase_getCompileCommands)
#define clang_CompileCommand_getArg (fe_clang_api.CompileCommand_getArg)
#define clang_CompileCommand_getDirectory (fe_clang_api.CompileCommand_getDirectory)
#define clang_CompileCommand_getFilename (fe_clang_api.CompileCommand_getFilename)
#define clang_CompileCommand_getNumArgs (fe_clang_api.CompileCommand_getNumArgs)
#define clang_CompileCommands_dispose (fe_clang_api.CompileCommands_dispose)
#define clang_CompileCommands_getCommand (fe_clang_api.CompileCommands_getCommand)
#define clang_CompileCommands_getSize (fe_clang_api.CompileCommands_getSize)
#define clang_Cursor_Evaluate (fe_clang_api.Cursor_Evaluate)
#define clang_Cursor_getArgument (fe_clang_api.Cursor_getArgument)
#define clang_Cursor_getNumArguments (fe_clang_api.Cursor_getNumArguments)
#define clang_Cursor_getStorageClass (fe_clang_api.Cursor_getStorageClass)
#define clang_Cursor_isAnonymousRecordDecl (fe_clang_api.Cursor_isAnonymousRecordDecl)
#define clang_Cursor_isNull (fe_clang_api.Cursor_isNull)
#define clang_EvalResult_dispose (fe_clang_api.EvalResult_dispose)
#define clang_EvalResult_getAsLongLong (fe_clang_api.EvalResult_getAsLongLong)
#define clang_EvalResult_getKind (fe_clang_api.EvalResult_getKind)
#define clang_File_isEqual (fe_clang_api.File_isEqual)
#define clang_Location_isFromMainFile (fe_clang_api.Location_isFromMainFile)
#define clang_Location_isInSystemHeader (fe_clang_api.Location_isInSystemHeader)
#define clang_Type_visitFields (fe_clang_api.Type_visitFields)
#define clang_createIndex (fe_clang_api.createIndex)
#define clang_disposeDiagnostic (fe_clang_api.disposeDiagnostic)
#define clang_disposeIndex (fe_clang_api.disposeIndex)
#define clang_disposeString (fe_clang_api.disposeString)
#define clang_disposeTranslationUnit (fe_clang_api.disposeTranslationUnit)
#define clang_equalCursors (fe_clang_api.equalCursors)
#define clang_equalLocations (fe_clang_api.equalLocations)
#define clang_equalRanges (fe_clang_api.equalRanges)
#define clang_equalTypes (fe_clang_api.equalTypes)
#define clang_getArrayElementType (fe_clang_api.getArrayElementType)
#define clang_getArraySize (fe_clang_api.getArraySize)
#define clang_getCString (fe_clang_api.getCString)
#define clang_getCanonicalCursor (fe_clang_api.getCanonicalCursor)
#define clang_getCanonicalType (fe_clang_api.getCanonicalType)
#define clang_getClangVersion (fe_clang_api.getClangVersion)
#define clang_getCursorDefinition (fe_clang_api.getCursorDefinition)
#define clang_getCursorExtent (fe_clang_api.getCursorExtent)
#define clang_getCursorKind (fe_clang_api.getCursorKind)
#define clang_getCursorLinkage (fe_clang_api.getCursorLinkage)
#define clang_getCursorLocation (fe_clang_api.getCursorLocation)
#define clang_getCursorReferenced (fe_clang_api.getCursorReferenced)
#define clang_getCursorSemanticParent (fe_clang_api.getCursorSemanticParent)
#define clang_getCursorSpelling (fe_clang_api.getCursorSpelling)
#define clang_getCursorType (fe_clang_api.getCursorType)
#define clang_getDiagnostic (fe_clang_api.getDiagnostic)
#define clang_getEnumConstantDeclValue (fe_clang_api.getEnumConstantDeclValue)
#define clang_getDiagnosticLocation (fe_clang_api.getDiagnosticLocation)
#define clang_getDiagnosticSeverity (fe_clang_api.getDiagnosticSeverity)
#define clang_getDiagnosticSpelling (fe_clang_api.getDiagnosticSpelling)
#define clang_getExpansionLocation (fe_clang_api.getExpansionLocation)
#define clang_getFile (fe_clang_api.getFile)
#define clang_getFileContents (fe_clang_api.getFileContents)
#define clang_getFileLocation (fe_clang_api.getFileLocation)
#define clang_getFileName (fe_clang_api.getFileName)
#define clang_getInclusions (fe_clang_api.getInclusions)
#define clang_getLocationForOffset (fe_clang_api.getLocationForOffset)
#define clang_getNullCursor (fe_clang_api.getNullCursor)
#define clang_getNumDiagnostics (fe_clang_api.getNumDiagnostics)
#define clang_getPointeeType (fe_clang_api.getPointeeType)
#define clang_getRangeEnd (fe_clang_api.getRangeEnd)
#define clang_getRangeStart (fe_clang_api.getRangeStart)
#define clang_getResultType (fe_clang_api.getResultType)
#define clang_getTranslationUnitCursor (fe_clang_api.getTranslationUnitCursor)
#define clang_getTypeDeclaration (fe_clang_api.getTypeDeclaration)
#define clang_getTypeSpelling (fe_clang_api.getTypeSpelling)
#define clang_hashCursor (fe_clang_api.hashCursor)
#define clang_isAttribute (fe_clang_api.isAttribute)
#define clang_isCursorDefinition (fe_clang_api.isCursorDefinition)
#define clang_isDeclaration (fe_clang_api.isDeclaration)
#define clang_isExpression (fe_clang_api.isExpression)
#define clang_isReference (fe_clang_api.isReference)
#define clang_isStatement (fe_clang_api.isStatement)
#define clang_parseTranslationUnit2 (fe_clang_api.parseTranslationUnit2)
#define clang_visitChildren (fe_clang_api.visitChildren)
#define clang_reparseTranslationUnit (fe_clang_api.reparseTranslationUnit)
#define clang_defaultReparseOptions (fe_clang_api.defaultReparseOptions)

#endif /* TETHER_FE_LIBCLANG_H */
